import { getApi } from './api';
import { startWindow } from './startWindow';
import './styles.css';

const element = document.getElementById('root');
if (!element) throw new Error('index.html has no #root');
void startWindow(element, getApi());
